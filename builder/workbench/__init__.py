"""The workbench: the preview server and the forms editors change the content with."""
