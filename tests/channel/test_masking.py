"""Personal data masked, other numbers left alone (assistant/channel/masking.py), and the table of examples in
docs/security.md kept true."""

import re
from pathlib import Path

import pytest

from assistant.channel.masking import mask_personal_data

SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


@pytest.mark.parametrize(
    "sentence, datum, placeholder",
    [
        ("Lähettäkää vastaus osoitteeseen {}, kiitos", "matti.meikalainen@example.fi", "[e-mail]"),
        ("mun sposti on {} jos ehditte vastata", "matti(at)example.fi", "[e-mail]"),
        ("Skicka svaret till {} tack", "anna.andersson [at] exempel.se", "[e-mail]"),
        ("you can mail me at {}", "john.smith @ example.com", "[e-mail]"),
        ("Soittakaa minulle numeroon {}", "+358 (0)40 123 4567", "[phone]"),
        ("ring mig på {} efter fyra", "(040) 123 4567", "[phone]"),
        ("my number is {}.", "040.123.4567", "[phone]"),
        ("puh {} iltaisin", "040/123 4567", "[phone]"),
        ("numeroni on {}", "040–123 4567", "[phone]"),
        ("call me on {}", "358401234567", "[phone]"),
        ("ring mig på {}", "+358 40 123 4567", "[phone]"),
        ("call {} please", "00358401234567", "[phone]"),
        ("numeroni on {}.", "040-123 4567", "[phone]"),
        ("soita {}", "0401234567", "[phone]"),
        ("vaihde {}", "(09) 310 1691", "[phone]"),
        ("mitt nummer är {}", "+46 70 123 45 67", "[phone]"),
        ("my mobile is {}", "050 765 4321", "[phone]"),
        ("hetuni on {}", "131052-308T", "[identity code]"),
        ("min personbeteckning är {}", "131052+308T", "[identity code]"),
        ("lapsen henkilötunnus on {}", "010203A1230", "[identity code]"),
        ("barnets personbeteckning {}", "010203B1230", "[identity code]"),
        ("mun hetu on {}", "131052Y308T", "[identity code]"),
        ("my ID is {} too", "131052a308t", "[identity code]"),
        ("henkilötunnus {} ja", "131052–308T", "[identity code]"),
        ("personnummer {}", "131052 308T", "[identity code]"),
        ("hetu {}", "131052308T", "[identity code]"),
        ("my temporary ID {}", "311299-9872", "[identity code]"),
        ("Maksakaa palautus tilille {}, kiitos", "FI21 1234 5600 0007 85", "[IBAN]"),
        ("tilinumero {}", "FI2112345600000785", "[IBAN]"),
        ("tilille {} kiitos", "fi21 1234 5600 0007 85", "[IBAN]"),
        ("Betala tillbaka till {} tack", "SE45 5000 0000 0583 9825 7466", "[IBAN]"),
        ("my account is {}.", "SE4550000000058398257466", "[IBAN]"),
    ],
)
def test_personal_data_is_masked(sentence, datum, placeholder):
    masked = mask_personal_data(sentence.format(datum))
    assert masked == sentence.format(placeholder)
    assert not [run for run in re.findall(r"\d+", datum) if run in masked]


@pytest.mark.parametrize(
    "text, masked",
    [
        ("soitin numeroon 040 123 4567 16 kertaa", "soitin numeroon [phone] 16 kertaa"),
        ("numero vuodesta 2019 040 123 4567", "numero vuodesta 2019 [phone]"),
        ("mina nummer är 040 123 4567 09 310 1691", "mina nummer är [phone] [phone]"),
        ("call 050 765 4321 or 040-123 4567, thanks", "call [phone] or [phone], thanks"),
    ],
)
def test_a_phone_number_beside_another_number_is_masked(text, masked):
    assert mask_personal_data(text) == masked


def test_several_kinds_in_one_message_are_each_masked():
    text = "both: a.b@c.org 131052-308T +358401234567 FI2112345600000785"
    assert mask_personal_data(text) == "both: [e-mail] [identity code] [phone] [IBAN]"


@pytest.mark.parametrize(
    "text",
    [
        "ECHA työllistää noin 600 asiantuntijaa",
        "ECHA has about 600 employees",
        "The network has 16 member organisations",
        "Eurocities har över 200 medlemsstäder",
        "Hanke sai 350 000 euroa",
        "vuodesta 2007 vuoteen 2019",
        "EU 2020-2027 rahoituskausi",
        "Onko Tallinna kumppani? 1 2 3",
        "Sivu on päivätty 06.12.2019",
        "Mitä tapahtui 06-12-2019?",
        "Vad hände den 06 12 2019?",
        "Sivu päivitettiin 6.12.2019",
        "updated on 2019-12-06",
        "Onko palvelupiste auki klo 0800-1600?",
        "Är kontoret öppet kl. 08.00–16.00?",
        "Är kontoret öppet 8-16?",
        "Helsingin kaupungin Y-tunnus on 0201256-6",
        "Stadens FO-nummer är 0201256-6",
        "hetu 131052-308U",  # wrong check character: not an identity code
        "personbeteckning 010203A123B",
    ],
)
def test_dates_hours_years_counts_and_business_ids_are_left_alone(text):
    assert mask_personal_data(text) == text


def security_doc_examples():
    """The rows of the "What is masked" table: (input, output), backticks removed."""
    lines = SECURITY_DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index("| input | output | why |") + 2  # past the header and its |---| line
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        given, output = (cell.strip().strip("`") for cell in line.strip("|").split("|")[:2])
        rows.append((given, output))
    return rows


def test_the_security_doc_shows_both_masked_and_left_alone_examples():
    rows = security_doc_examples()
    assert any(given == output for given, output in rows)
    assert {"[e-mail]", "[phone]", "[identity code]", "[IBAN]"} <= {output for _, output in rows}


@pytest.mark.parametrize("given, output", security_doc_examples())
def test_each_example_in_the_security_doc_masks_to_its_output(given, output):
    assert mask_personal_data(given) == output
