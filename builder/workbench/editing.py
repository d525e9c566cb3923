"""Placeholder."""


def routes(preview, secret, headers):
    return []
