"""The workbench of ``oversikt serve``: editing an edition in the browser."""
