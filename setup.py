"""Build hook: compile the translation catalogues into the wheel, so installed Qiao speaks Russian.

Everything else about the package is declared in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    """`build_py` that first turns every app/translations/*/LC_MESSAGES/*.po into its .mo."""

    def run(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path(__file__).parent.glob("app/translations/*/LC_MESSAGES/*.po"):
            with po.open("rb") as source:
                catalogue = read_po(source)
            with po.with_suffix(".mo").open("wb") as out:
                write_mo(out, catalogue)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
