"""The built-in exercise kinds: one module each (schema, editor fields, instruction, template,
answer parsing, check, speech, generator hook), registered by importing it here.

The order of the imports is the order of the kinds everywhere: the trainer's menu, the
course-file schema's list of kinds.
"""

# isort: skip_file
from app.exercises.kinds import choose_meaning  # noqa: F401
from app.exercises.kinds import choose_hanzi  # noqa: F401
from app.exercises.kinds import type_pinyin  # noqa: F401
from app.exercises.kinds import identify_tone  # noqa: F401
from app.exercises.kinds import listening  # noqa: F401
from app.exercises.kinds import word_order  # noqa: F401
from app.exercises.kinds import fill_blank  # noqa: F401
from app.exercises.kinds import matching  # noqa: F401
from app.exercises.kinds import scenario  # noqa: F401
from app.exercises.kinds import write  # noqa: F401
from app.exercises.kinds import say  # noqa: F401
