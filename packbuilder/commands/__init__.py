"""The use cases: what each command does, from the workspace to the stages and back.

A use case loads the config's plan once, opens history, and passes plain values (last
period's values, the recorded periods) into the stages, which are pure functions of them and
never open history themselves. ``check`` checks what came back, ``returns`` makes the month's
returns, ``kpis`` makes the KPI return and reads the KPIs' last values. The CLI calls one use
case per command.
"""
