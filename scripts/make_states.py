"""Generate `unkg/ontology/authority/states.ttl`: the 193 UN member States, the two observer
States and the former Member States that no longer exist (USSR, Yugoslavia …: older resolutions
name them), with labels in the six UN languages.

Names come from pycountry (ISO 3166-1 alpha-3 and the translations bundled with it), overridden by
the UN's own short names in English and French where they differ (the UN writes "Bélarus",
"Fédération de Russie", "Türkiye", "Bolivia (Plurinational State of)" …). Formal names
("République kirghize", "République d'Arménie") become alternative labels, as UN texts use them.

Run:  python scripts/make_states.py            (writes the file)
      python scripts/make_states.py --check    (exit 1 if the committed file is out of date)
"""

from __future__ import annotations

import gettext
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "unkg" / "ontology" / "authority" / "states.ttl"
LANGS = {"fr": "fr", "es": "es", "ru": "ru", "zh": "zh_CN", "ar": "ar"}

# The 193 Member States of the United Nations (ISO 3166-1 alpha-3).
MEMBERS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK
DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA
KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB
ZWE
""".split()
OBSERVERS = ["VAT", "PSE"]  # non-member observer States
# Former Member States that were dissolved or merged (ISO 3166-3 codes, pycountry's
# historic_countries). A Member renamed in place (Zaire, Byelorussian SSR) is the same State: its
# old names are alternative labels of the current one (EXTRA below).
FORMER = {
    "SUN": {"en": "Union of Soviet Socialist Republics",
            "fr": "Union des Républiques socialistes soviétiques",
            "alt_en": ["Soviet Union", "USSR"], "alt_fr": ["URSS"]},
    "YUG": {"en": "Yugoslavia", "fr": "Yougoslavie",
            "alt_en": ["Socialist Federal Republic of Yugoslavia",
                       "Federal Republic of Yugoslavia"],
            "alt_fr": ["République fédérative socialiste de Yougoslavie",
                       "République fédérale de Yougoslavie"]},
    "SCG": {"en": "Serbia and Montenegro", "fr": "Serbie-et-Monténégro", "alt_en": [],
            "alt_fr": []},
    "CSK": {"en": "Czechoslovakia", "fr": "Tchécoslovaquie",
            "alt_en": ["Czech and Slovak Federal Republic", "Czechoslovak Socialist Republic"],
            "alt_fr": ["République fédérative tchèque et slovaque"]},
    "DDR": {"en": "German Democratic Republic", "fr": "République démocratique allemande",
            "alt_en": [], "alt_fr": []},
    "YMD": {"en": "Democratic Yemen", "fr": "Yémen démocratique",
            "alt_en": ["People's Democratic Republic of Yemen"],
            "alt_fr": ["République démocratique populaire du Yémen"]},
}

# UN short names in English where pycountry's ISO name differs.
UN_EN = {
    "BOL": "Bolivia (Plurinational State of)", "COD": "Democratic Republic of the Congo",
    "PRK": "Democratic People's Republic of Korea", "KOR": "Republic of Korea",
    "IRN": "Iran (Islamic Republic of)", "LAO": "Lao People's Democratic Republic",
    "FSM": "Micronesia (Federated States of)", "MDA": "Republic of Moldova",
    "TZA": "United Republic of Tanzania", "VEN": "Venezuela (Bolivarian Republic of)",
    "GBR": "United Kingdom of Great Britain and Northern Ireland",
    "USA": "United States of America", "VNM": "Viet Nam", "SYR": "Syrian Arab Republic",
    "NLD": "Netherlands (Kingdom of the)", "VAT": "Holy See", "PSE": "State of Palestine",
    "TUR": "Türkiye", "CZE": "Czechia", "CPV": "Cabo Verde", "SWZ": "Eswatini",
    "MKD": "North Macedonia", "BRN": "Brunei Darussalam", "CIV": "Côte d'Ivoire",
}
# UN short names in French where pycountry's translation differs.
UN_FR = {
    "RUS": "Fédération de Russie", "KGZ": "Kirghizistan", "BLR": "Bélarus",
    "MDA": "République de Moldova", "TUR": "Türkiye", "BOL": "Bolivie (État plurinational de)",
    "COD": "République démocratique du Congo", "COG": "Congo",
    "PRK": "République populaire démocratique de Corée", "KOR": "République de Corée",
    "IRN": "Iran (République islamique d')", "LAO": "République démocratique populaire lao",
    "FSM": "Micronésie (États fédérés de)", "TZA": "République-Unie de Tanzanie",
    "GBR": "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
    "USA": "États-Unis d'Amérique", "VEN": "Venezuela (République bolivarienne du)",
    "VNM": "Viet Nam", "SYR": "République arabe syrienne", "CZE": "Tchéquie",
    "MKD": "Macédoine du Nord", "NLD": "Pays-Bas (Royaume des)", "VAT": "Saint-Siège",
    "PSE": "État de Palestine", "CPV": "Cabo Verde", "BRN": "Brunéi Darussalam",
    "EGY": "Égypte", "LBY": "Libye", "TLS": "Timor-Leste", "MMR": "Myanmar",
    "STP": "Sao Tomé-et-Principe", "KNA": "Saint-Kitts-et-Nevis", "LCA": "Sainte-Lucie",
    "VCT": "Saint-Vincent-et-les Grenadines", "BIH": "Bosnie-Herzégovine",
    "MHL": "Îles Marshall", "SLB": "Îles Salomon", "SWZ": "Eswatini", "CIV": "Côte d'Ivoire",
    "GNB": "Guinée-Bissau", "DOM": "République dominicaine", "CAF": "République centrafricaine",
    "ARE": "Émirats arabes unis", "MUS": "Maurice", "SGP": "Singapour",
    "GNQ": "Guinée équatoriale", "IRQ": "Iraq", "SLV": "El Salvador", "SUR": "Suriname",
    "NGA": "Nigéria",
}
# Other names found in UN texts (short forms, former names), per language.
EXTRA = {
    "USA": {"en": ["United States"], "fr": ["États-Unis"]},
    "GBR": {"en": ["United Kingdom"], "fr": ["Royaume-Uni"]},
    "RUS": {"en": ["Russia"], "fr": ["Russie"]},
    "IRN": {"en": ["Iran"], "fr": ["Iran"]},
    "SYR": {"en": ["Syria"], "fr": ["Syrie"]},
    "VEN": {"en": ["Venezuela"], "fr": ["Venezuela"]},
    "BOL": {"en": ["Bolivia"], "fr": ["Bolivie"]},
    "TZA": {"en": ["Tanzania"], "fr": ["Tanzanie"]},
    "LAO": {"en": ["Laos"], "fr": ["Laos"]},
    "VNM": {"en": ["Vietnam"], "fr": ["Vietnam"]},
    "MDA": {"en": ["Moldova"], "fr": ["Moldova", "Moldavie"]},
    "KGZ": {"fr": ["République kirghize"]},
    "TUR": {"en": ["Turkey"], "fr": ["Turquie"]},
    "CZE": {"en": ["Czech Republic"], "fr": ["République tchèque"]},
    "SWZ": {"en": ["Swaziland"], "fr": ["Swaziland"]},
    "MKD": {"en": ["the former Yugoslav Republic of Macedonia"],
            "fr": ["ex-République yougoslave de Macédoine"]},
    "CIV": {"en": ["Ivory Coast"]},
    "NLD": {"en": ["Netherlands"], "fr": ["Pays-Bas"]},
    "MMR": {"en": ["Burma"], "fr": ["Birmanie"]},
    "PSE": {"en": ["Palestine"], "fr": ["Palestine"]},
    "VAT": {"fr": ["Saint-Siège"]},
    # Members renamed in place: older texts use the former name.
    "COD": {"en": ["Zaire"], "fr": ["Zaïre", "RDC"]},
    "BLR": {"en": ["Byelorussian Soviet Socialist Republic", "Byelorussian SSR"],
            "fr": ["République socialiste soviétique de Biélorussie", "RSS de Biélorussie"]},
    "UKR": {"en": ["Ukrainian Soviet Socialist Republic", "Ukrainian SSR"],
            "fr": ["République socialiste soviétique d'Ukraine", "RSS d'Ukraine"]},
    "BEN": {"en": ["Dahomey"], "fr": ["Dahomey"]},
    "BFA": {"en": ["Upper Volta"], "fr": ["Haute-Volta"]},
    "LKA": {"en": ["Ceylon"], "fr": ["Ceylan"]},
    "KHM": {"en": ["Democratic Kampuchea", "Kampuchea"], "fr": ["Kampuchea démocratique"]},
    "TLS": {"en": ["East Timor"], "fr": ["Timor oriental"]},
}


def _invert(name: str) -> str:
    """ISO list form "Corée, République de" → "République de Corée"."""
    if ", " not in name:
        return name
    head, _, tail = name.partition(", ")
    joiner = "" if tail.endswith(("'", "’")) else " "
    return f"{tail}{joiner}{head}"


def _literal(text: str, lang: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}'


def build() -> str:
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code])
        for lang, code in LANGS.items()
    }
    lines = [
        "# GENERATED by scripts/make_states.py — do not edit by hand; run the script instead.",
        "# UN Member States and observer States: ISO 3166-1 alpha-3 (pycountry), UN short names.",
        "@prefix unkg: <https://w3id.org/unkg/ontology#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix state: <state/> .",
        "",
    ]
    for code in sorted(MEMBERS + OBSERVERS):
        country = pycountry.countries.get(alpha_3=code)
        pref = {"en": UN_EN.get(code, country.name)}
        alts: dict[str, set[str]] = {lang: set() for lang in ["en", *LANGS]}
        official = getattr(country, "official_name", None)
        common = getattr(country, "common_name", None)
        for lang, tr in translations.items():
            iso = _invert(tr.gettext(country.name))
            pref[lang] = UN_FR[code] if lang == "fr" and code in UN_FR else iso
            alts[lang].add(iso)
            if official:
                alts[lang].add(tr.gettext(official))
        for english in (country.name, official, common):
            if english:
                alts["en"].add(_invert(english))
        for lang, names in EXTRA.get(code, {}).items():
            alts[lang].update(names)
        kind = "unkg:ObserverState" if code in OBSERVERS else "unkg:MemberState"
        lines.append(f"state:{code} a unkg:State, {kind} ;")
        lines.append(f'    unkg:iso3 "{code}" ;')
        for lang in ["en", *LANGS]:
            lines.append(f"    skos:prefLabel {_literal(pref[lang], lang)} ;")
        for lang in ["en", *LANGS]:
            for alt in sorted(alts[lang] - {pref[lang]}):
                if alt and not alt.startswith("the "):
                    lines.append(f"    skos:altLabel {_literal(alt, lang)} ;")
        lines[-1] = lines[-1][:-2] + " ."
        lines.append("")
    for code, names in FORMER.items():
        lines.append(f"state:{code} a unkg:State ;")
        lines.append(f'    unkg:iso3 "{code}" ;')
        lines.append(f"    skos:prefLabel {_literal(names['en'], 'en')} ;")
        lines.append(f"    skos:prefLabel {_literal(names['fr'], 'fr')} ;")
        for lang in ("en", "fr"):
            for alt in names[f"alt_{lang}"]:
                prop = "unkg:acronym" if alt.isupper() else "skos:altLabel"
                lines.append(f"    {prop} {_literal(alt, lang)} ;")
        lines[-1] = lines[-1][:-2] + " ."
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = build()
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.name} is out of date: run python scripts/make_states.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(MEMBERS)} members, {len(OBSERVERS)} observers, "
          f"{len(FORMER)} former members)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
