"""The shared forms: the one confirmation page every "are you sure?" step uses."""

from __future__ import annotations

from assess.web.forms import confirm_page


def test_the_confirmation_page_asks_once_posts_with_a_token_and_offers_a_way_back(csrf_app):
    with csrf_app.test_request_context("/iets/archiveren"):
        page = confirm_page(
            "Najaar archiveren?",
            "Er gaat niets verloren.",
            "Archiveren",
            action="/iets/archiveren",
            back="/iets",
        )
    assert "<h1>Najaar archiveren?</h1>" in page
    assert "<p>Er gaat niets verloren.</p>" in page
    assert '<form method="post" action="/iets/archiveren"' in page
    assert 'name="csrf_token"' in page
    assert '<button type="submit" class="button danger">Archiveren</button>' in page
    assert '<a class="button" href="/iets">Annuleren</a>' in page


def test_the_confirmation_page_escapes_what_a_user_typed(csrf_app):
    with csrf_app.test_request_context("/"):
        page = confirm_page("<b>x</b> archiveren?", "uitleg", "Ja", action="/a", back="/b")
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt; archiveren?" in page
