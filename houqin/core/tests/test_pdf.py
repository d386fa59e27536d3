from django.conf import settings
from django.test import RequestFactory, SimpleTestCase, override_settings

from houqin.core.pdf import pdf_response, render_pdf

TEMPLATES = [
    {
        **settings.TEMPLATES[0],
        "APP_DIRS": False,
        "OPTIONS": {
            **settings.TEMPLATES[0]["OPTIONS"],
            "loaders": [("django.template.loaders.locmem.Loader", {"sheet.html": "<h1>{{ title }}</h1>"})],
        },
    }
]


class PdfTests(SimpleTestCase):
    def test_html_becomes_a_pdf_without_fetching_anything(self):
        pdf = render_pdf(
            '<p>入库单</p><img src="http://example.invalid/x.png"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        )
        self.assertTrue(pdf.startswith(b"%PDF"))

    @override_settings(TEMPLATES=TEMPLATES)
    def test_response_is_an_inline_pdf_with_a_chinese_file_name(self):
        response = pdf_response(RequestFactory().get("/"), "sheet.html", {"title": "资产标签"}, "资产标签")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertIn("filename*=UTF-8''%E8%B5%84%E4%BA%A7%E6%A0%87%E7%AD%BE-", response["Content-Disposition"])
