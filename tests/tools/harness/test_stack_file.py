"""Stack files are read as the Pulumi CLI's yaml.v3 reads them; the program gets the same text."""

from __future__ import annotations

import pytest

from tools.harness.stack_file import StackValue, go_float, load_go_yaml, read_stack_values


def one(yaml_text: str) -> StackValue:
    values = read_stack_values(f"config:\n  p:k: {yaml_text}\n", "p")
    return values["p:k"]


@pytest.mark.parametrize(
    ("plain", "decoded"),
    [
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("False", False),
        # YAML 1.1 booleans (PyYAML) are strings in yaml.v3's core schema
        ("yes", "yes"),
        ("on", "on"),
        ("y", "y"),
        ("No", "No"),
        ("~", None),
        ("null", None),
        ("", None),
        ("2", 2),
        ("-3", -3),
        ("+4", 4),
        ("1_000", 1000),
        ("0x10", 16),
        ("0o17", 15),
        ("017", 15),
        ("0b11", 3),
        ("08", 8.0),
        ("1.30", 1.3),
        ("2.0", 2.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("1.33.1", "1.33.1"),
        ("two", "two"),
        ("Standard_D4s_v3", "Standard_D4s_v3"),
    ],
)
def test_plain_scalars_resolve_like_yaml_v3(plain: str, decoded: object) -> None:
    value = load_go_yaml(f"k: {plain}\n")["k"]
    assert value == decoded
    assert type(value) is type(decoded)


def test_quoted_and_explicitly_tagged_scalars_stay_strings() -> None:
    data = load_go_yaml("a: 'True'\nb: \"2\"\nc: !!str 1.30\nd: |\n  x\n")
    assert data == {"a": "True", "b": "2", "c": "1.30", "d": "x\n"}


@pytest.mark.parametrize(
    ("yaml_text", "text"),
    [
        ("1.30", "1.3"),
        ("2.0", "2"),
        ("2", "2"),
        ("True", "true"),
        ("false", "false"),
        ("'1.30'", "1.30"),
        ("' 2'", " 2"),
        ("1e21", "1e+21"),
        ("1e20", "100000000000000000000"),
        ("0.0000001", "1e-7"),
        ("-0.0", "-0"),
    ],
)
def test_scalars_reach_the_program_as_go_formats_them(yaml_text: str, text: str) -> None:
    assert one(yaml_text) == StackValue(text)


def test_lists_and_maps_become_json_objects_with_sorted_keys() -> None:
    assert one("[b, 2, 1.50, true]") == StackValue('["b",2,1.5,true]', object=True)
    assert one("{z: 1, a: '<x>'}") == StackValue('{"a":"\\u003cx\\u003e","z":1}', object=True)
    # null is the JSON object "null" (and so matches no declared type)
    assert one("") == StackValue("null", object=True)


def test_secrets_are_kept_as_ciphertext() -> None:
    assert one("{secure: v1:abc}") == StackValue("v1:abc", secure=True)
    assert one("[{secure: v1:abc}]").secure


def test_keys_without_a_namespace_get_the_projects() -> None:
    values = read_stack_values("config:\n  kataNodeCount: 2\n  azure-native:location: x\n", "p")
    assert set(values) == {"p:kataNodeCount", "azure-native:location"}


def test_go_float_formatting() -> None:
    assert [go_float(v) for v in (1.3, 100.0, 1.5e-7, 123456789.125)] == [
        "1.3",
        "100",
        "1.5e-7",
        "123456789.125",
    ]
