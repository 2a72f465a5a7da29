"""The map's geometry, asserted on the pure layout (no SVG parsing), and the lane list as
the one source for the map, its table twin and search."""

from __future__ import annotations

import pytest
from conftest import parse_html

from cjmsite.commands.check import check
from cjmsite.i18n import translator
from cjmsite.mapsvg.blocks import PAD, Context
from cjmsite.mapsvg.lanes import LANES, TABLE_LANES
from cjmsite.mapsvg.layout import EMOTION_H, LABEL_W, LEGEND_H, PHASE_H, layout


@pytest.fixture(scope="module")
def example(example_site_root):
    result = check(example_site_root)
    report, site = result.report, result.site
    assert not report.errors
    return site


def _layout(site, journey: str, language: str = "es"):
    return layout(site.journeys[journey], Context(site, language, translator(language),
                                                  "../../"))


def test_columns_tile_the_map_from_the_label_column(example) -> None:
    box = _layout(example, "experiencia-global")
    assert box.xs[0] == LABEL_W
    for x, width, following in zip(box.xs, box.widths, box.xs[1:], strict=False):
        assert following == pytest.approx(x + width)
    assert box.width == pytest.approx(box.xs[-1] + box.widths[-1] + 1)
    assert all(190 <= w <= 280 for w in box.widths)


def test_rows_stack_without_gaps_and_follow_the_lane_list(example) -> None:
    box = _layout(example, "experiencia-global")
    order = [lane.key for lane in LANES]
    keys = [row.lane for row in box.rows]
    assert keys == sorted(keys, key=order.index)
    y = box.legend_height
    for row in box.rows:
        assert row.y == y
        y += row.height
    assert box.height == pytest.approx(y + 1)
    assert box.legend_height == LEGEND_H  # two personas: a legend
    assert box.grid_top == LEGEND_H + PHASE_H


def test_blocks_stay_inside_their_cell(example) -> None:
    box = _layout(example, "experiencia-global")
    for row in box.rows:
        for index, cell in enumerate(row.cells):
            left, right = box.xs[index], box.xs[index] + box.widths[index]
            for placed in cell:
                assert left + PAD <= placed.x and placed.x + placed.width <= right - PAD
                assert row.y + PAD <= placed.y
                assert placed.y + placed.block.height <= row.y + row.height - PAD + 0.01


def test_phases_span_their_runs_of_stages(example) -> None:
    box = _layout(example, "experiencia-global")
    journey = example.journeys["experiencia-global"]
    assert [p.name for p in box.phases] == ["Prospección", "Entrega del servicio", "Postventa"]
    runs = [stages for name, stages in journey.phase_runs() if name]
    for phase, stages in zip(box.phases, runs, strict=True):
        first = journey.stages.index(stages[0])
        assert phase.x == box.xs[first]
        assert phase.width == pytest.approx(sum(box.widths[first:first + len(stages)]))


def test_emotion_points_sit_on_their_score_and_column(example) -> None:
    box = _layout(example, "experiencia-global")
    journey = example.journeys["experiencia-global"]
    emotion = box.emotion
    assert emotion is not None
    row = next(r for r in box.rows if r.lane == "emotion")
    assert row.height == EMOTION_H and emotion.y == row.y
    assert emotion.ys[2] < emotion.ys[0] < emotion.ys[-2] < row.y + row.height
    assert len(emotion.curves) == len(box.personas) == 2
    for curve in emotion.curves:
        persona = box.personas[curve[0].persona]
        assert [p.stage for p in curve] == [i for i, s in enumerate(journey.stages)
                                            if persona in s.emotion]
        for point in curve:
            centre = box.xs[point.stage] + box.widths[point.stage] / 2
            assert abs(point.x - centre) <= 8
            assert point.y == emotion.ys[journey.stages[point.stage].emotion[persona]]


def test_empty_lanes_are_left_out(make_site) -> None:
    site = check(make_site()).site
    box = _layout(site, "buy", "en")
    assert [row.lane for row in box.rows] == ["stage", "touchpoints", "emotion"]
    assert box.legend == () and box.legend_height == 0


def test_table_twin_has_a_column_for_every_lane(example_build) -> None:
    doc = parse_html(example_build / "journeys/experiencia-global/index.html")
    t = translator("es")
    heads = [th.text_content() for th in doc.xpath("//details[@class='map-table']//thead//th")]
    assert heads == [t("stage"), *(t(lane.key) for lane in TABLE_LANES),
                     t("evidence_strength")]
    assert {lane.key for lane in LANES} == {"stage", *(lane.key for lane in TABLE_LANES)}
    rows = doc.xpath("//details[@class='map-table']//tbody/tr")
    assert rows and all(len(r.xpath("./td")) == len(TABLE_LANES) + 1 for r in rows)
    text = doc.xpath("//details[@class='map-table']")[0].text_content()
    assert "¿Será confiable?" in text  # thoughts
    assert "Llamadas abandonadas: ✗ 18 %" in text  # metrics, against their target


def test_every_lane_has_a_label_in_both_languages() -> None:
    from cjmsite.i18n import STRINGS

    for lane in LANES:
        assert lane.key in STRINGS["en"] and lane.key in STRINGS["es"], lane.key


def test_legend_entries_are_spaced_by_measured_names(example) -> None:
    from cjmsite.mapsvg.blocks import SIZE
    from cjmsite.mapsvg.text import text_width

    box = _layout(example, "experiencia-global")
    assert [e.measured for e in box.legend] == [False, False, True]  # two personas, a survey
    for first, second in zip(box.legend, box.legend[1:], strict=False):
        name_end = first.x + 36 + text_width(first.name, SIZE)
        assert name_end < second.x <= name_end + 30
