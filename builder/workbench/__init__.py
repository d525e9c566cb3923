"""The workbench of ``oversikt serve``: the live preview, and the forms that edit an edition in the browser."""
