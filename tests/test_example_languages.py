"""The example exists in Spanish (content/, what the README builds) and in English
(cjmsite/example/en/), the same site translated: `init --template example --language en`
gives the English one, and every template exists in both languages."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, parse_html, run

from cjmsite import model
from cjmsite.commands.init import EXAMPLE, STARTERS, TEMPLATES
from cjmsite.config import load_config
from cjmsite.diagnostics import Report
from cjmsite.figures import Figure
from cjmsite.pipeline.load import load_site

# Spanish id -> English id, for every persona, touchpoint, journey, survey, insight and
# opportunity.
IDS = {
    "carla-conductora": "carla-driver", "roberto-flota": "roberto-fleet",
    "caja": "cashier", "central-telefonica": "call-centre", "encuesta-sms": "sms-survey",
    "jefe-de-taller": "workshop-manager", "recepcion": "reception",
    "redes-sociales": "social-media", "sitio-web": "website", "whatsapp": "whatsapp",
    "experiencia-global": "global-experience",
    "recepcion-y-facturacion": "reception-and-billing",
    "ces-facturacion": "ces-billing", "csat-recepcion": "csat-reception",
    "nps-postventa": "nps-after-sales", "ciclo-de-vida": "customer-lifecycle",
    "prefacturacion-automatica": "automatic-pre-invoicing",
    "pre-registro-whatsapp": "whatsapp-pre-check-in",
    "segundo-recepcionista": "second-receptionist",
    "guia-visual-de-repuestos": "visual-parts-guide", "app-propia-del-taller": "workshop-app",
    "recordatorio-de-mantencion": "service-reminder",
    "entrevistas-espera-recepcion": "interviews-reception-wait",
    "tickets-factura-tardia": "tickets-late-invoice",
    "analitica-turnos-manana": "analytics-morning-rush",
    "visita-flota-roberto": "visit-roberto-fleet",
}
_CODE = re.compile(r"^[a-z0-9/-]+$")  # ids, slugs, choice codes, dates as text


def _site(root: Path) -> model.Site:
    report = Report()
    site = load_site(load_config(root, report), report)
    assert not report.failed(strict=True), [str(d) for d in report.sorted()]
    return site


class _Same:
    """Walks two models side by side: numbers, dates, booleans and codes equal; text
    only present in both (it is translated); ids and slugs paired one to one."""

    def __init__(self) -> None:
        self.pairs: dict[str, str] = {}
        self.back: dict[str, str] = {}

    def __call__(self, es: Any, en: Any, where: str) -> None:
        if dataclasses.is_dataclass(es) and not isinstance(es, type):
            assert type(es) is type(en), where
            for item in dataclasses.fields(es):
                self(getattr(es, item.name), getattr(en, item.name), f"{where}.{item.name}")
        elif isinstance(es, dict) and set(es) & set(IDS):  # entities by id: by the table
            assert isinstance(en, dict) and set(en) <= {IDS.get(k, k) for k in es}, \
                (where, sorted(en))
            for key in es:
                assert IDS.get(key, key) in en, (where, key, sorted(en))
                self(es[key], en[IDS.get(key, key)], f"{where}[{key}]")
        elif isinstance(es, dict):
            assert isinstance(en, dict) and len(es) == len(en), (where, es, en)
            for (k1, v1), (k2, v2) in zip(es.items(), en.items(), strict=True):
                self(k1, k2, f"{where} key")
                self(v1, v2, f"{where}[{k1}]")
        elif isinstance(es, list) and es and isinstance(es[0], Figure):
            # Sorted by id: paired by the ids met so far (stages before surveys).
            def translated(figure: Figure) -> tuple:
                id_ = "/".join(self.pairs.get(p, p) for p in figure.id.split("/"))
                return figure.scope, id_, figure.period or ""
            english = {(f.scope, f.id, f.period or ""): f for f in en}
            assert set(english) <= set(map(translated, es)), where
            for figure in es:
                self(figure, english[translated(figure)], f"{where}{translated(figure)}")
        elif isinstance(es, (list, tuple)):
            assert isinstance(en, (list, tuple)), (where, es, en)
            assert len(es) == len(en), (where, es, en)
            for index, (a, b) in enumerate(zip(es, en, strict=True)):
                self(a, b, f"{where}[{index}]")
        elif isinstance(es, str):
            assert isinstance(en, str), where
            if _CODE.match(es) or _CODE.match(en):  # "journey/stage": part by part
                parts = list(zip(es.split("/"), en.split("/"), strict=False))
                assert es.count("/") == en.count("/"), (where, es, en)
                for a, b in parts:
                    if a in IDS:  # a known id: its translation
                        assert b == IDS[a], (where, es, en)
                    assert self.pairs.setdefault(a, b) == b, (where, a, b, self.pairs[a])
                    assert self.back.setdefault(b, a) == a, (where, a, b, self.back[b])
            else:
                assert bool(es) == bool(en), (where, es, en)
        else:
            assert es == en, (where, es, en)


def test_the_english_example_is_the_spanish_one_translated() -> None:
    """Same personas, touchpoints, journeys, stages, emotions, gaps, actions, metrics and
    survey figures; ids paired one to one: whatever content/ has, cjmsite/example/en/
    has too, translated."""
    spanish, english = _site(REPO), _site(EXAMPLE / "en")
    same = _Same()
    same(spanish, english, "site")
    assert set(IDS) <= set(spanish.personas) | set(spanish.touchpoints) \
        | set(spanish.journeys) | set(spanish.surveys) | set(spanish.insights) \
        | set(spanish.opportunities)
    assert spanish.surveys["nps-postventa"].results.rows == 640  # the responses were read


def test_init_example_in_english_gives_the_english_example(tmp_path: Path) -> None:
    root = tmp_path / "site"
    result = run("init", "--template", "example", "--language", "en", str(root))
    assert result.exit_code == 0, result.output
    assert (root / "content/journeys/global-experience/index.md").is_file()
    assert 'language = "en"' in (root / "cjmsite.toml").read_text(encoding="utf-8")
    assert run("build", "--strict", str(root)).exit_code == 0
    home = parse_html(root / "output/index.html")
    assert home.get("lang") == "en"
    assert "Andes Auto Workshop" in home.findtext(".//title")
    spanish = tmp_path / "es"
    assert run("init", str(spanish)).exit_code == 0  # Spanish stays the default
    assert (spanish / "content/journeys/experiencia-global/index.md").is_file()


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_exists_in_both_languages(template: str) -> None:
    for language in ("en", "es"):
        base = EXAMPLE if template == "example" else STARTERS / template
        assert (base / language / "cjmsite.toml").is_file(), (template, language)
        assert (base / language / "content").is_dir(), (template, language)
        config = (base / language / "cjmsite.toml").read_text(encoding="utf-8")
        assert f'language = "{language}"' in config, (template, language)
