"""The portal's integration tests: they build a world of every app (the permission matrix, the personal-data
crawl, the hostile-input sweep, the multi-node run, the browser journeys). Each app's own tests live in its
tests/ folder; the kernel's (opop/tests) import no app."""
