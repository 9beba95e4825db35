"""`flask directory sync`: bring companies' people in line with their LDAP directories (cron)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db


def register(app: Flask) -> None:
    group = AppGroup("directory", help="Companies' LDAP / AD directories.")
    app.cli.add_command(group)

    @group.command("sync")
    @click.option("--company", "slug", help="Only this company (its code); else every LDAP one.")
    @click.option("--apply", "do_apply", is_flag=True, help="Make the changes (else a preview).")
    @click.option("--background", is_flag=True, help="With --apply: as a job for the worker.")
    def sync_command(slug: str | None, do_apply: bool, background: bool) -> None:
        """Preview (or with --apply make) the import of people and departments from LDAP;
        people gone from the directory are deactivated, nothing is deleted."""
        from app import jobs
        from app.directory import ldap, sync
        from app.models import Company, SignInMethod, SignInSettings

        stmt = select(Company).join(SignInSettings, SignInSettings.company_id == Company.id)
        stmt = stmt.where(SignInSettings.method == SignInMethod.LDAP)
        if slug:
            stmt = stmt.where(Company.slug == slug)
        companies = list(db.session.scalars(stmt.order_by(Company.slug)))
        if not companies:
            raise click.ClickException(
                f"no company signing in with LDAP{' called ' + slug if slug else ''}"
            )
        failed = False
        for company in companies:
            if do_apply and background:
                job = jobs.enqueue(
                    "directory.sync",
                    {"company_id": company.id},
                    user=None,
                    key=f"sync:{company.id}",
                )
                db.session.commit()
                click.echo(f"{company.slug}: job {job.id}")
                continue
            try:
                result = sync.apply(company) if do_apply else sync.plan(company)
            except (sync.SyncError, ldap.DirectoryError) as exc:
                db.session.rollback()
                click.echo(f"{company.slug}: not synced: {exc}", err=True)
                failed = True
                continue
            db.session.commit()
            click.echo(("applied " if do_apply else "preview ") + result.report())
        if failed:
            raise SystemExit(1)
