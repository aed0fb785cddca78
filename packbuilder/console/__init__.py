"""Console printing, beside the CLI: what the commands show in the terminal, with rich.

The library computes; the modules here only print what it returns, so no stage imports them.
"""
