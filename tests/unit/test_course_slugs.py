"""A course's slug must be its folder's name: validation says so, at the slug's line."""

from app.content.validate import validate_tree
from tests.content_fixtures import COURSE_YAML, write_course


def test_a_course_slug_other_than_its_folder_name_is_an_error(tmp_path):
    write_course(tmp_path, course=COURSE_YAML.replace("slug: tiny", "slug: other-course", 1))
    errors = [str(issue) for issue in validate_tree(tmp_path).errors]
    assert any("course.yaml" in e and "must equal the folder name 'tiny'" in e for e in errors), (
        errors
    )
