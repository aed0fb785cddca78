"""The web outputs: the families' progress page and the board's dashboard (static HTML).

An output stage beside the tracker and the Word reports. It reads only plain values handed
down (``SiteInput``: the merged period, the earlier periods' ratings and KPI values, the
office's public words and the [publish] settings) and never opens history: ``build`` passes
what it has just merged, ``publish`` what history recorded. Every page is rendered by Jinja2
with autoescape, so nothing an officer typed can become markup or a link.
"""

from packbuilder.site.render import SITE_FOLDER, write_site
from packbuilder.site.view import PublicWords, SiteInput

__all__ = ["SITE_FOLDER", "PublicWords", "SiteInput", "write_site"]
