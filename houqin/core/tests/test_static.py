"""Static files build with the production storage (hashed names, compressed) — what `houqin serve` runs."""

import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase, override_settings


class CollectStaticTests(SimpleTestCase):
    def test_collectstatic_succeeds_with_the_manifest_storage(self):
        with tempfile.TemporaryDirectory() as root:
            storages = {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
            }
            with override_settings(STATIC_ROOT=root, STORAGES=storages):
                call_command("collectstatic", interactive=False, verbosity=0)
            manifest = Path(root) / "staticfiles.json"
            self.assertTrue(manifest.exists())
            self.assertIn("vendor/htmx-2.0.11/htmx.min.js", manifest.read_text())
