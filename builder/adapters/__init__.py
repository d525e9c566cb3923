"""One module per library whose private internals oversikt uses, each saying why (see docs/utvikling.md)."""
