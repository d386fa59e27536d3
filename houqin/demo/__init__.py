"""The demo district: 示例区教育局 with 实验小学 and 中南路小学, their staff, classes, students and logins.

`houqin demo` (builder.build) runs the registered steps (registry.py) in one transaction. Production installs
never call it. Modules add their own demo records by defining registered steps in `houqin/<app>/demo.py`.
"""
