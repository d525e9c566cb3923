"""The verbs of the ``oversikt`` command, one module each: ``add_to`` adds
the verb's parser, with ``run`` as the function that carries it out."""
