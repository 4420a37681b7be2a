"""The sample site: a fictional NHS community trust website with planted defects.

``sample/site/`` holds the static pages (built by ``sample/build_site.py``), ``sample/truth.json``
lists every planted defect, and ``sample/servers.py`` serves the site and a fake "external web"
on local ports for the demo and the end-to-end tests.
"""
