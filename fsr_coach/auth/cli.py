"""flask --app fsr_coach users create|set-password|disable"""
import sys

import click
from flask.cli import AppGroup

from . import users

users_cli = AppGroup("users", help="Manage local user accounts.")

MIN_PASSWORD_LENGTH = 8


def _read_password(from_stdin):
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return password


@users_cli.command("create")
@click.argument("username")
@click.option("--display-name", default="", help="Name shown in the page.")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def create_user(username, display_name, admin, password_stdin):
    """Create an active user account."""
    if users.usable_username(username) != username:
        raise click.ClickException(
            f"a username has 1 to {users.MAX_USERNAME_CHARS} printable characters,"
            " no outer spaces")
    password = _read_password(password_stdin)
    try:
        users.create(username, password, display_name=display_name, is_admin=admin)
    except users.UserExists:
        raise click.ClickException(f"user {username!r} exists already") from None
    click.echo(f"created user {username}")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def set_password(username, password_stdin):
    """Change a user's password; their sessions end."""
    if not users.set_password(username, _read_password(password_stdin)):
        raise click.ClickException(f"no user {username!r}")
    click.echo(f"password changed for {username}; their sessions have ended")


@users_cli.command("disable")
@click.argument("username")
def disable(username):
    """Stop a user from signing in; their sessions end."""
    if not users.disable(username):
        raise click.ClickException(f"no user {username!r}")
    click.echo(f"disabled {username}")
