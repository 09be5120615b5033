"""Placeholder until the connect screen lands (being written now)."""

from django.http import Http404


def connection_page(request):
    raise Http404


authorize = callback = connection_page
