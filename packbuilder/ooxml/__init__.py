"""Office Open XML at the byte level: the zip under every .xlsx, read and patched directly.

The one place for the speed-ups and defences that need a package's raw bytes; each module says
what its tricks buy, and the rest of packbuilder reads and writes workbooks as if through
calamine, openpyxl and xlsxwriter alone. A foundation module: it knows zips, parts and
SpreadsheetML, nothing of returns, plans or periods.

- ``gate``: a returned file's zip inspected before any parser sees it (returns/safe.py decides
  what to refuse from what it finds).
- ``sheets``: the sheet map and the sheet scans by regular expression, with parser fallbacks.
- ``comments``: a workbook patched part by part with cell highlights and comments (the
  feedback workbooks), and the styles editor the What to fix sheet shares.

The fixed timestamps of the zips packbuilder writes stay in fixed_time.py: they are a promise
about every document packbuilder makes (its stated creation time too, which is no zip
matter), used by writers that never read a byte of a package.
"""
