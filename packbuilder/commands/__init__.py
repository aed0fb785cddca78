"""The use cases: what each command does, from the workspace to the stages and back.

A use case loads the plan once (``plan``), opens history where it needs it, and passes plain
values (last period's values, the recorded periods, the KPIs' last values) into the stages,
which are pure functions of them and never open history themselves. One module per command or
group: ``check``, ``returns`` (make), ``kpi_return`` and ``kpis`` (the data team's return and
the KPIs' last values), ``mail`` (send, chase), ``build`` with ``recovery`` (a stopped build
finished or undone), ``publish``, ``review`` (the six-month pack), ``remove_period`` and
``backups`` (history's own commands) and ``init``. The CLI calls one use case per command.
"""
