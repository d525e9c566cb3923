"""The verbs of the ``oversikt`` command, one module each: ``add_to`` adds
the verb's parser, with ``run`` as the function that carries it out.

A verb imports what it works with when it runs, not when the parser is
made: ``oversikt --help`` or a wrong option need none of it, and a SIGTERM
while it loads ends the command like one that comes later.
"""
