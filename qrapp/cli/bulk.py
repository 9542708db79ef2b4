"""`qrapp bulk run`: a bulk job from the command line, through the same services as the
Bulk page (dry run, job, worker steps, ZIP), with a progress bar.

qrapp bulk run codes.csv --workspace "Team A" --template "Brand" --format png,svg -o out.zip

The command makes the codes itself, chunk by chunk, so it works with no worker running;
a running worker takes chunks of the same job too (each row is still made once).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click

from qrapp.services.errors import FieldErrors, ServiceError


@click.group()
def bulk() -> None:
    """Bulk jobs: many codes from a spreadsheet."""


def _template_id(actor, template: str) -> str | None:
    if not template:
        return None
    from qrapp.services.codes.design_templates import list_templates

    for t in list_templates(actor=actor):
        if template in (t.name, str(t.id)):
            return str(t.id)
    raise click.ClickException(f"No design template named '{template}' in this workspace.")


def _fail(exc: ServiceError) -> click.ClickException:
    if isinstance(exc, FieldErrors):
        return click.ClickException("; ".join(f"{k}: {v}" for k, v in exc.errors.items()))
    return click.ClickException(exc.message)


@bulk.command("run")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workspace", required=True, help="Workspace id or exact name.")
@click.option("--template", default="", help="Design template name or id.")
@click.option("--format", "formats", default="png", show_default=True, help="png,svg,pdf,eps")
@click.option("--size", default=1024, show_default=True, help="PNG width in pixels.")
@click.option("--type", "content_type", default="url", show_default=True, help="Content type.")
@click.option("--static", is_flag=True, help="Static codes (the content in the symbol).")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path))
def run_command(
    file: Path,
    workspace: str,
    template: str,
    formats: str,
    size: int,
    content_type: str,
    static: bool,
    out: Path,
) -> None:
    """Make a code for every valid row of FILE (CSV or XLSX) and write the ZIP to -o."""
    from qrapp.cli.codes import _actor
    from qrapp.core.bulk.mapping import guess_mapping
    from qrapp.core.bulk.rows import JobOptions
    from qrapp.services.bulk import dry_run, jobs, output, work

    actor = _actor(workspace)
    assert actor.workspace_id is not None
    data = file.read_bytes()
    dynamic = not static
    options = JobOptions(
        content_type=content_type,
        dynamic=dynamic,
        template_id=_template_id(actor, template),
        formats=tuple(f.strip().lower() for f in formats.split(",") if f.strip()),
        png_size=size,
    )
    try:
        from qrapp.core.bulk.reading import read_table
        from qrapp.settings import get_settings

        table = read_table(data, file.name, max_rows=get_settings().bulk_max_rows)
        mapping = guess_mapping(table.headers, content_type, dynamic)
        report = dry_run.dry_run(
            actor=actor,
            workspace_id=actor.workspace_id,
            data=data,
            filename=file.name,
            mapping=mapping,
            options=options,
        )
    except ServiceError as exc:
        raise _fail(exc) from None
    except Exception as exc:  # BulkFileError: a message for the person
        raise click.ClickException(getattr(exc, "message", str(exc))) from None
    for p in report.problems[:20]:
        click.echo(f"row {p.row}: {p.field}: {p.message}", err=True)
    if len(report.problems) > 20:
        click.echo(f"... and {len(report.problems) - 20} more problems", err=True)
    if not report.can_start:
        raise click.ClickException(
            "Nothing to make: " + (report.template_verdict if report.valid else "no valid row.")
        )
    try:
        job = jobs.start_job(
            actor=actor,
            workspace_id=actor.workspace_id,
            options=options,
            rows=report.valid,
            filename=file.name,
        )
    except ServiceError as exc:
        raise _fail(exc) from None
    click.echo(f"job {job.id}: {len(report.valid):,} of {report.total:,} rows", err=True)
    with click.progressbar(
        length=job.total, label="Making codes", file=click.get_text_stream("stderr")
    ) as bar:
        shown = 0
        while work.step(job.id):
            view = jobs.job_view(actor=actor, job_id=job.id)
            bar.update(view.processed - shown)
            shown = view.processed
        bar.update(job.total - shown)
    click.echo("Writing the ZIP ...", err=True)
    work.finish(job.id)
    view = _wait_until_ended(actor, job.id)
    if view.status != "done":
        raise click.ClickException(f"The job ended {view.status}. {view.message}".strip())
    shutil.copyfile(output.path_of(job.id, "zip"), out)
    click.echo(f"{view.processed - view.failed:,} codes made, {view.failed:,} rows failed -> {out}")


def _wait_until_ended(actor, job_id, timeout: float = 3600):
    """A worker may be writing the ZIP of this job: wait for it."""
    from qrapp.services.bulk import jobs

    deadline = time.monotonic() + timeout
    while True:
        view = jobs.job_view(actor=actor, job_id=job_id)
        if view.status not in ("queued", "running") or time.monotonic() > deadline:
            return view
        time.sleep(0.5)
