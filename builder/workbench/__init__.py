"""The workbench behind ``oversikt serve``: editing the editors' own files from forms."""
