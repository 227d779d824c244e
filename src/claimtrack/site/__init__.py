"""The website of a release: static pages built from the release's own files."""
