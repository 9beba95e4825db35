"""HR pages for training: assignments, the dashboard, the zone overview and the exports."""

from __future__ import annotations

from datetime import date

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.extensions import db
from app.forms import EmptyForm, posted
from app.hr import bp
from app.hr.context import HR_ROLES, ip, one_company, work_company, work_company_id
from app.hr.forms import AssignmentForm, FilterForm, OverrideForm
from app.hr.people import services
from app.hr.training import (
    assignments,
    dashboard_store,
    export_jobs,
    exporting,
    exports,
    readiness_store,
    reports,
)
from app.hr.training.charts import Series, columns, stacked_bars
from app.hr.training.companies_overview import zone_overview
from app.jobs import enqueue
from app.learn import notices
from app.links import external_url
from app.models import AssignmentTarget, Company, Job, Role, utcnow
from app.policy import roles_required

_ASSIGN_MESSAGES = {
    "unknown course": lambda: _("Choose a course from the list."),
    "unknown department": lambda: _("Choose a department from the list."),
    "unknown person": lambda: _("No employee of the company has this e-mail."),
    "inactive person": lambda: _("This employee is deactivated."),
    "unknown target": lambda: _("Choose whom to assign the course to."),
}


def status_names() -> dict[str, str]:
    return {
        assignments.Status.NOT_STARTED: _("not started"),
        assignments.Status.IN_PROGRESS: _("in progress"),
        assignments.Status.COMPLETED: _("completed"),
        assignments.Status.OVERDUE: _("overdue"),
    }


@bp.context_processor
def _hr_globals() -> dict:
    return {
        "status_names": status_names(),
        "percent_or_dash": percent_or_dash,
        "percent_text": percent_text,
        "hours_text": hours_text,
    }


def percent_text(share: float) -> str:
    """A share as a whole percent without the sign (0.384 → «38»); «<1» for a little."""
    value = round(share * 100)
    return "<1" if value == 0 and share > 0 else str(value)


def percent_or_dash(share: float | None) -> str:
    """«38%», or «—» when there is nothing to divide (no learner, no answer)."""
    return "—" if share is None else f"{percent_text(share)}%"


def hours_text(seconds: int | None) -> str:
    """Study time in hours with one decimal («1,5» in Russian), «0» for none."""
    return format_decimal(round((seconds or 0) / 3600, 1), "0.0") if seconds else "0"


def completion_series() -> list[Series]:
    names = status_names()
    return [
        Series(s.value, names[s], f"seg-{s.value.replace('_', '-')}")
        for s in (
            assignments.Status.COMPLETED,
            assignments.Status.IN_PROGRESS,
            assignments.Status.NOT_STARTED,
            assignments.Status.OVERDUE,
        )
    ]


# --------------------------------------------------------------------------- filters


def _filter_form() -> tuple[FilterForm, reports.ReportFilters]:
    """The report filters of this request, for the page's company (or all of them)."""
    form = FilterForm(formdata=request.args)
    form.company.choices = [(0, _("All companies"))] + [
        (c.id, c.name) for c in services.resident_companies(current_user)
    ]
    form.department.choices = [(0, _("All departments"))] + [
        (d.id, d.name) for d in services.departments(current_user, work_company_id())
    ]
    form.course.choices = [(0, _("All courses"))] + [
        (c.id, c.title) for c in assignments.courses_for_filter(current_user, work_company_id())
    ]
    form.status.choices = [("", _("Any status"))] + list(status_names().items())
    form.validate()
    filters = reports.ReportFilters(
        company_id=work_company_id(),
        department_id=request.args.get("department", type=int) or None,
        course_id=request.args.get("course", type=int) or None,
        status=request.args.get("status") or None,
        due_from=form.due_from.data if not form.due_from.errors else None,
        due_to=form.due_to.data if not form.due_to.errors else None,
    )
    return form, filters


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


# --------------------------------------------------------------------------- dashboard


@bp.route("/")
@roles_required(*HR_ROLES)
def dashboard():
    """Completion by department and course, overdue first, trend, and language readiness."""
    company = work_company()
    form, filters = _filter_form()
    data, data_at = dashboard_store.stored_dashboard(current_user, filters)
    readiness, readiness_at = readiness_store.stored_readiness(current_user, filters)
    db.session.commit()  # reports recomputed just now are kept for the next views
    series = completion_series()
    no_department = _("No department")
    dept_chart = stacked_bars(
        _("Completion by department"),
        [
            (
                name or no_department,
                tally.counts,
                f"{_pct(tally.completed_share)} · {tally.total}",
            )
            for _id, name, tally in data.by_department
        ],
        series,
    )
    course_chart = stacked_bars(
        _("Completion by course"),
        [
            (title, tally.counts, f"{_pct(tally.completed_share)} · {tally.total}")
            for _id, title, tally in data.by_course
        ],
        series,
    )
    trend_chart = columns(
        _("Completed share at the end of each week"),
        [
            (format_short(p.at), p.share, f"{_pct(p.share)} ({p.completed}/{p.assigned})")
            for p in data.trend
        ],
    )
    levels = sorted({lv for r in readiness for lv in r.levels})
    level_series = [
        Series(str(lv), f"HSK {lv}" if lv else _("outside HSK"), f"seg-hsk{min(lv, 7)}")
        for lv in levels
    ]
    readiness_chart = stacked_bars(
        _("Words learned per learner, by HSK level"),
        [
            (
                r.name or no_department,
                {str(lv): s.words / r.learners if r.learners else 0 for lv, s in r.levels.items()},
                f"{r.words_per_learner:.0f}",
            )
            for r in readiness
        ],
        level_series,
        share=False,
    )
    return render_template(
        "hr/dashboard.html",
        company=company,
        form=form,
        filters=filters,
        data=data,
        readiness=readiness,
        dept_chart=dept_chart,
        course_chart=course_chart,
        trend_chart=trend_chart,
        readiness_chart=readiness_chart,
        status_names=status_names(),
        known_recall=reports.KNOWN_RECALL,
        readiness_at=format_datetime(readiness_at, "dd.MM HH:mm") if readiness_at else None,
        data_at=format_datetime(data_at, "dd.MM HH:mm") if data_at else None,
        export_args=filters.as_args(),
    )


def format_short(moment) -> str:
    from flask_babel import format_date

    return format_date(moment, "dd.MM")


@bp.route("/zone")
@roles_required(Role.ADMIN)
def zone():
    """The zone administration's view: every company's figures side by side."""
    summaries = zone_overview(current_user)
    chart = stacked_bars(
        _("Completion by company"),
        [
            (s.company.name, s.tally.counts, f"{_pct(s.tally.completed_share)} · {s.tally.total}")
            for s in summaries
        ],
        completion_series(),
    )
    return render_template("hr/zone.html", summaries=summaries, chart=chart)


# --------------------------------------------------------------------------- exports


@bp.route("/export/<any(completion, overdue):report>.<any(csv, xlsx):fmt>")
@roles_required(*HR_ROLES)
def export(report: str, fmt: str):
    """The completion report or the overdue list as CSV or XLSX, streamed."""
    _form, filters = _filter_form()
    now = utcnow()
    build = exports.completion_export if report == "completion" else exports.overdue_export
    spec = build(current_user, filters, now)
    threshold = current_app.config["EXPORT_JOB_ROWS"]
    large = spec.count(threshold + 1) > threshold
    audit.record(
        current_user,
        "report.export",
        company_id=work_company_id(),
        details={"report": report, "format": fmt, "filters": reports.describe_filters(filters),
                 **({"background": True} if large else {})},
        ip=ip(),
    )  # fmt: skip
    if large:
        job = enqueue(
            "hr.export",
            {"actor_id": current_user.id, **export_jobs.payload_for(report, fmt, filters, now)},
            user=current_user,
            # a second click while the first is being built gives the same job
            key=export_jobs.key_for(current_user, report, fmt, filters),
        )
        db.session.commit()
        flash(_("The export is large: it is being prepared, and a link appears here when it is "
                "ready."), "success")  # fmt: skip
        return redirect(url_for("jobs.job_page", job_id=job.id))
    db.session.commit()
    if fmt == "csv":
        body = exporting.csv_stream(spec.headers, spec.rows())
        mimetype = exporting.CSV_MIMETYPE
    else:
        body = exporting.xlsx_stream(
            spec.headers, spec.rows(), sheet_title=spec.sheet, widths=spec.widths
        )
        mimetype = exporting.XLSX_MIMETYPE
    filename = f"qiao-{report}-{date.today().isoformat()}.{fmt}"
    return Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/exports/<job_id>")
@roles_required(*HR_ROLES)
def export_download(job_id: str):
    """A large export built by a job: for whoever started it and HR of its company."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != "hr.export" or not export_jobs.may_download(current_user, job):
        abort(404)
    path = export_jobs.file_of(job)
    if path is None:
        return render_template("hr/export_gone.html"), 410
    fmt = path.suffix.lstrip(".")
    response = send_file(
        path,
        mimetype=exporting.CSV_MIMETYPE if fmt == "csv" else exporting.XLSX_MIMETYPE,
        as_attachment=True,
        download_name=job.result.get("filename") or path.name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- assignments


@bp.route("/assignments")
@roles_required(*HR_ROLES)
def assignments_list():
    """Assignments with their people by status."""
    company = work_company()
    return render_template(
        "hr/assignments.html",
        company=company,
        rows=assignments.list_assignments(current_user, work_company_id()),
        status_names=status_names(),
        statuses=assignments.STATUSES,
        button_form=EmptyForm(formdata=None),
    )


@bp.route("/assignments/new", methods=["GET", "POST"])
@roles_required(*HR_ROLES)
@one_company
def new_assignment(company: Company):
    """Assign a course to a department, the company or one person, with a due date."""
    form = AssignmentForm()
    form.course_id.choices = [
        (c.id, c.title) for c in assignments.assignable_courses(current_user, company)
    ]
    form.department_id.choices = [(0, "—")] + [
        (d.id, d.name) for d in services.departments(current_user, company.id)
    ]
    if request.method == "GET" and request.args.get("department", type=int):
        department = services.get_department(current_user, request.args.get("department", type=int))
        form.department_id.data = department.id
    if form.validate_on_submit():
        data = assignments.AssignmentData(
            course_id=form.course_id.data,
            target=form.target.data,
            department_id=form.department_id.data or None,
            user_email=form.user_email.data or None,
            due_date=form.due_date.data,
            recurrence_months=form.recurrence_months.data,
        )
        if form.due_date.data and form.due_date.data < date.today():
            form.due_date.errors = [_("The due date is in the past.")]
        else:
            try:
                _assignment, count = assignments.create_assignment(
                    current_user, company, data, ip=ip()
                )
            except assignments.AssignmentError as exc:
                db.session.rollback()
                field = getattr(form, exc.field)
                field.errors = [*field.errors, _ASSIGN_MESSAGES[exc.code]()]
            else:
                notices.announce(
                    current_user,
                    _assignment.id,
                    external_url("learn.course", course_id=_assignment.course_id),
                )
                db.session.commit()
                flash(_("Course assigned: %(n)d people enrolled.", n=count), "success")
                return redirect(url_for("hr.assignments_list"))
    return render_template(
        "hr/assignment_form.html", form=form, company=company, targets=AssignmentTarget
    )


@bp.route("/assignments/<int:assignment_id>")
@roles_required(*HR_ROLES)
def assignment(assignment_id: int):
    """One assignment: its people and where each of them stands."""
    item = assignments.get_assignment(current_user, assignment_id)
    rows = assignments.list_assignments(current_user, item.company_id, assignment_id=item.id)
    if not rows:
        abort(404)
    row = rows[0]
    return render_template(
        "hr/assignment.html",
        row=row,
        people=assignments.assignment_people(current_user, item),
        status_names=status_names(),
        button_form=EmptyForm(formdata=None),
    )


@bp.route("/assignments/<int:assignment_id>/cancel", methods=["POST"])
@roles_required(*HR_ROLES)
def cancel_assignment(assignment_id: int):
    """Stop an assignment: nobody new gets it; progress is kept."""
    item = assignments.get_assignment(current_user, assignment_id)
    posted()
    assignments.cancel_assignment(current_user, item, ip=ip())
    db.session.commit()
    flash(_("The assignment is stopped; people keep their progress."), "success")
    return redirect(url_for("hr.assignment", assignment_id=item.id))


# --------------------------------------------------------------------------- overrides


@bp.route("/enrollments/<int:enrollment_id>/override", methods=["POST"])
@roles_required(*HR_ROLES)
def override(enrollment_id: int):
    """Mark a course completed by HR's decision, with a reason."""
    enrollment = assignments.get_enrollment(current_user, enrollment_id)
    form = OverrideForm()
    if not form.validate_on_submit():
        flash(_("Give a reason to mark the course as completed."), "error")
        return redirect(url_for("hr.person", user_id=enrollment.user_id))
    assignments.override_completion(current_user, enrollment, form.reason.data, ip=ip())
    db.session.commit()
    flash(_("The course is marked as completed."), "success")
    return redirect(url_for("hr.person", user_id=enrollment.user_id))
