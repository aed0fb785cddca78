"""What ``check`` writes and prints from its report: validation.xlsx, the feedback workbooks,
chase-list.csv, ``--json`` and the console summary. An output stage: checks/ judges, this
writes."""
