"""Statistics on plain data: study days, streaks, retention, forecast, chart geometry."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.srs import stats

MOSCOW = ZoneInfo("Europe/Moscow")


def hour(moment: datetime) -> int:
    return int(moment.timestamp()) // 3600


def test_hours_fold_into_study_days_with_the_four_oclock_rollover():
    rows = [
        (hour(datetime(2026, 3, 2, 0, 0, tzinfo=UTC)), 5),  # 03:00 MSK → 1 March
        (hour(datetime(2026, 3, 2, 1, 0, tzinfo=UTC)), 2),  # 04:00 MSK → 2 March
        (hour(datetime(2026, 3, 2, 20, 0, tzinfo=UTC)), 3),  # 23:00 MSK → 2 March
    ]
    assert stats.per_day(rows, MOSCOW) == {date(2026, 3, 1): 5, date(2026, 3, 2): 5}


def test_streak_counts_up_to_today_or_yesterday():
    today = date(2026, 3, 10)
    days = {today - timedelta(days=n) for n in (1, 2, 3, 5)}
    assert stats.streak(days, today) == 3  # not yet studied today: the streak holds
    assert stats.streak(days | {today}, today) == 4
    assert stats.streak({today - timedelta(days=2)}, today) == 0
    assert stats.longest_streak(days | {today}) == 4


def test_true_retention():
    assert stats.true_retention(9, 1) == 0.9
    assert stats.true_retention(0, 0) is None


def test_forecast_puts_overdue_cards_on_today():
    today = date(2026, 3, 10)
    days = stats.forecast({today: 2, today + timedelta(days=3): 7}, overdue=5, today=today)
    assert len(days) == 30 and days[0] == (today, 7) and days[3] == (today + timedelta(days=3), 7)


def test_heatmap_covers_a_year_of_weeks_with_levels():
    today = date(2026, 3, 11)  # a Wednesday
    counts = {today: 40, today - timedelta(days=1): 10, today - timedelta(days=400): 99}
    heat = stats.heatmap(counts, today)
    assert heat.cells[-1].day == today and heat.cells[0].day.weekday() == 0
    assert len(heat.cells) == 52 * 7 + 3
    by_day = {c.day: c for c in heat.cells}
    assert by_day[today].level == 4 and by_day[today - timedelta(days=1)].level == 1
    assert heat.total == 50 and heat.active_days == 2  # the day outside the year is left out
    assert all(0 <= c.x < heat.width and 0 <= c.y < heat.height for c in heat.cells)


def test_bar_chart_scales_to_a_round_maximum():
    chart = stats.bar_chart([("a", 0), ("b", 37), ("c", 50)], width=300, height=120)
    assert chart.top_value == 50
    tallest = chart.bars[2]
    assert tallest.y == 4 and tallest.height == chart.baseline - 4
    assert chart.bars[0].height == 0
    assert stats.nice_ceiling(0) == 1 and stats.nice_ceiling(120) == 200
