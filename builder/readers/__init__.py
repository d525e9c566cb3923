"""Readers turn content files into validated Python objects, and every
problem into a diagnostic with its file and line. They know nothing of
fonts, pages or output formats."""
