"""Mail texts: defaults per moment, refused placeholders with a Dutch message, safe rendering."""

from datetime import date

import pytest

from assess.trainer.mail import texts as mail_texts
from assess.trainer.mail.texts import TemplateError, check, defaults, render

VALUES = {
    "naam": "Anouk de Vries",
    "cohort": "Leergang voorjaar 2026",
    "moment": "voormeting",
    "deadline": "maandag 9 maart 2026",
    "link": "http://zelfscan.test/s/abc123",
    "trainer": "Trainer Demo",
    "duur": "ongeveer 14 minuten (schatting)",
}


@pytest.mark.parametrize("kind", ["invitation", "reminder"])
@pytest.mark.parametrize("moment", ["intake", "exit", "followup"])
def test_every_default_text_is_valid_and_says_what_a_participant_needs(kind, moment):
    subject, body = defaults(kind, moment)
    check(subject)
    check(body, require_link=True)
    rendered = render(subject, body, VALUES)
    assert "Leergang voorjaar 2026" in rendered.subject
    for needed in ("Beste Anouk de Vries,", VALUES["link"], "maandag 9 maart 2026"):
        assert needed in rendered.text
    assert "Je leidinggevende ziet nooit jouw eigen antwoorden" in rendered.text
    if kind == "invitation":
        assert "Dat kost ongeveer 14 minuten (schatting)." in rendered.text


@pytest.mark.parametrize(
    "text, message",
    [
        ("Hoi {naem}, {link}", "Onbekende plaatshouder {naem}."),
        ("Hoi {naam.__class__} {link}", "Onbekende plaatshouder {naam.__class__}."),
        ("Hoi {link!r}", "Onbekende plaatshouder {link!r}."),
        ("Hoi {naam, {link}", "De plaatshouder “{naam,” is niet afgesloten"),
        ("Hoi naam} {link}", "Losse accolade in “Hoi naam}”"),
        ("Hoi {} {link}", "Lege plaatshouder {}"),
        ("Hoi {naam}, tot snel", "De tekst mist de plaatshouder {link}"),
    ],
)
def test_broken_or_unknown_placeholders_are_refused_with_a_dutch_message_naming_them(text, message):
    with pytest.raises(TemplateError) as refused:
        check(text, require_link=True)
    assert message in str(refused.value)


def test_the_message_for_an_unknown_placeholder_lists_the_ones_you_can_use():
    with pytest.raises(TemplateError, match=r"\{naam\}, \{cohort\}, \{moment\}, \{deadline\}"):
        check("{voornaam}")


def test_double_braces_stand_for_a_literal_brace():
    assert render("{{x}}", "Code {{A}} voor {naam}: {link}", VALUES).text.startswith(
        "Code {A} voor Anouk de Vries"
    )


def test_html_part_escapes_the_values_and_the_trainers_own_text():
    values = VALUES | {"naam": '<img src=x onerror="alert(1)"> =HYPERLINK("x")'}
    rendered = render("Hoi", "<b>Welkom</b> {naam} & co\n\n{link}", values)
    assert "<img" not in rendered.html and "<b>" not in rendered.html
    assert "&lt;b&gt;Welkom&lt;/b&gt; &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in rendered.html
    assert "&amp; co" in rendered.html
    assert f'<a href="{VALUES["link"]}">{VALUES["link"]}</a>' in rendered.html


def test_line_breaks_become_paragraphs_and_breaks_in_html():
    rendered = render("Hoi", "Regel een\nregel twee\n\n{link}", VALUES)
    assert rendered.html.startswith("<p>Regel een<br>\nregel twee</p>\n<p><a href=")


def test_subject_is_one_line_even_when_a_name_holds_a_line_break():
    rendered = render("Zelfscan {naam}", "{link}", VALUES | {"naam": "Anouk\r\nBcc: x@evil.nl"})
    assert rendered.subject == "Zelfscan Anouk Bcc: x@evil.nl"


def test_deadline_is_written_in_dutch_words():
    assert mail_texts.deadline_text(date(2026, 3, 13)) == "vrijdag 13 maart 2026"
    assert mail_texts.deadline_text(None) == "het einde van de meetperiode"


def test_only_name_cohort_moment_deadline_link_trainer_and_duration_can_reach_a_mail():
    # Answers and scores have no placeholder, so no text can ever put them in a mail.
    assert set(mail_texts.PLACEHOLDERS) == set(VALUES)
