"""The published data described in DCAT-AP-NO 3 (``datasett.jsonld``), so that
the municipality can list it in the national data catalogue (data.norge.no).

The description follows the mandatory properties of Digdir's DCAT-AP-NO 3
SHACL shapes: title and description as strings tagged with the edition's
language, exactly one publisher, a contact point (a vcard:Organization with
a name and an e-mail address or a web page), a theme from the EU's
data-theme vocabulary, the licence, spatial and temporal coverage, and one
distribution per file with its access URL, format and media type.

The files' addresses are relative IRIs: JSON-LD resolves them against the
address the description itself is read from, which is the folder the files
are published in, wherever that is.
"""

from __future__ import annotations

from builder.model import Edition, Layout

NLOD = "http://data.norge.no/nlod/no/2.0"  # Norsk lisens for offentlige data 2.0, the default licence
THEME = "http://publications.europa.eu/resource/authority/data-theme/GOVE"  # government and public sector
NORWAY = "http://publications.europa.eu/resource/authority/country/NOR"
LANGUAGES = {
    "nb": "http://publications.europa.eu/resource/authority/language/NOB",
    "nn": "http://publications.europa.eu/resource/authority/language/NNO",
}
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
# per published file: its format in the EU's file-type list and its IANA media type
FORMATS = {
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
DISTRIBUTION_TITLES = {
    "nb": {"csv": "Samarbeidene som CSV", "json": "Samarbeidene som JSON", "xlsx": "Samarbeidene som regneark"},
    "nn": {"csv": "Samarbeida som CSV", "json": "Samarbeida som JSON", "xlsx": "Samarbeida som rekneark"},
}
DESCRIPTIONS = {
    "nb": "Interkommunale samarbeid i {region} per {date}: hvert samarbeid med kategori, type samarbeid,"
    " kommunene som deltar, vertskommune, andre deltakere, status og kommentar, og der det er oppgitt,"
    " organisasjonsnummer, formål, eierandeler, vedtak og lenke.",
    "nn": "Interkommunale samarbeid i {region} per {date}: kvart samarbeid med kategori, type samarbeid,"
    " kommunane som er med, vertskommune, andre deltakarar, status og kommentar, og der det er oppgitt,"
    " organisasjonsnummer, føremål, eigardelar, vedtak og lenkje.",
}

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "locn": "http://www.w3.org/ns/locn#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def dataset_description(edition: Edition, layout: Layout, title: str, files: dict[str, str]) -> dict:
    """The JSON-LD of the dataset; ``files`` maps csv, json and xlsx to their file names."""
    language = edition.language
    tagged = {"@language": language}
    date = {"@value": edition.as_of.isoformat(), "@type": "xsd:date"}
    licence = {"@id": edition.license or NLOD}
    distributions = []
    for fmt, name in files.items():
        file_type, media_type = FORMATS[fmt]
        distributions.append(
            {
                "@id": f"#{fmt}",
                "@type": "dcat:Distribution",
                "dct:title": {"@value": DISTRIBUTION_TITLES[language][fmt], **tagged},
                "dcat:accessURL": {"@id": name},
                "dcat:downloadURL": {"@id": name},
                "dct:format": {"@id": FILE_TYPES + file_type},
                "dcat:mediaType": {"@id": MEDIA_TYPES + media_type},
                "dct:license": licence,
            }
        )
    return {
        "@context": CONTEXT,
        "@id": "#datasett",
        "@type": "dcat:Dataset",
        "dct:title": {"@value": title, **tagged},
        "dct:description": {
            "@value": DESCRIPTIONS[language].format(region=edition.region, date=edition.as_of.isoformat()),
            **tagged,
        },
        "dct:publisher": {
            "@type": "foaf:Agent",
            "foaf:name": {"@value": edition.publisher or edition.region, **tagged},
        },
        "dcat:contactPoint": _contact_point(edition, tagged),
        "dcat:theme": {"@id": THEME},
        "dct:language": {"@id": LANGUAGES[language]},
        "dct:spatial": [
            {"@id": NORWAY},
            {"@type": "dct:Location", "locn:geographicName": {"@value": edition.region, **tagged}},
        ],
        "dct:temporal": {"@type": "dct:PeriodOfTime", "dcat:startDate": date, "dcat:endDate": date},
        "dct:issued": date,
        "dct:modified": date,
        "dct:license": licence,
        "dcat:keyword": [{"@value": word, **tagged} for word in ("interkommunalt samarbeid", edition.region)],
        "dcat:distribution": distributions,
    }


def _contact_point(edition: Edition, tagged: dict) -> dict:
    """From report.yaml's ``contact``; without one, only the publisher's name
    (``publish`` warns that DCAT-AP-NO asks for an e-mail address or a web page)."""
    contact = edition.contact
    if contact is None:
        return {"@type": "vcard:Organization", "vcard:fn": {"@value": edition.publisher or edition.region, **tagged}}
    point: dict = {"@type": "vcard:Organization", "vcard:fn": {"@value": contact.name, **tagged}}
    if contact.email:
        point["vcard:hasEmail"] = {"@id": f"mailto:{contact.email}"}
    if contact.url:
        point["vcard:hasURL"] = {"@id": contact.url}
    return point
