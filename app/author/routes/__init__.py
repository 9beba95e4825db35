"""The course editor: trainers and admins write courses in the browser, one controller module
per resource, all on the `author` blueprint (endpoint names `author.<view>`)."""

from app.author.routes import (  # noqa: F401
    api,
    courses,
    exercises,
    files,
    items,
    lessons,
    preview,
)
