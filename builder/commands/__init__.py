"""The verbs of the ``oversikt`` command, one module each: ``add_to`` adds
the verb's parser, with ``run`` as the function that carries it out.

A verb imports what it works with when it runs, not when the parser is
made: ``build`` starts its render processes before the rest of oversikt
is loaded, so that they load their writers while it reads the content.
"""
