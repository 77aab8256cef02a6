"""flask --app fsr_coach coach check-rubric [FILE]"""
import click
from flask import current_app
from flask.cli import AppGroup

from .rubric import RubricError, load_rubric

coach_cli = AppGroup("coach", help="The coach's rubric.")


@coach_cli.command("check-rubric")
@click.argument("rubric_file", required=False, type=click.Path(dir_okay=False))
def check_rubric(rubric_file):
    """Load a rubric as the app would at start-up and say what is wrong with
    it, if anything; exit non-zero then. Without FILE: COACH_RUBRIC, or the
    default rubric."""
    path = rubric_file or current_app.config["COACH_RUBRIC"] or None
    try:
        rubric = load_rubric(path)
    except RubricError as err:
        raise click.ClickException(str(err)) from None
    count = len(rubric.checks)
    weight = sum(check["weight"] for check in rubric.checks)
    click.echo(f"{rubric.name} (version {rubric.version}): {count} check{'s' * (count != 1)},"
               f" weights adding up to {weight}")
