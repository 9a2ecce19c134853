"""The condition parser: Coveo's documented syntax parses to the right tree; mistakes point at their column."""

from __future__ import annotations

import pytest

from pulumi_search_extensions.coveo.condition import (
    And,
    ConditionSyntaxError,
    Equals,
    Exists,
    Not,
    Or,
    parse_condition,
)


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_an_empty_condition_applies_to_every_item(blank: str) -> None:
    assert parse_condition(blank) is None


@pytest.mark.parametrize(
    ("condition", "tree"),
    [
        # Every example of Coveo's condition syntax reference.
        ("%[meta1]", Exists("meta1")),
        ("NOT %[meta1]", Not(Exists("meta1"))),
        ('%[meta1] == "value"', Equals("meta1", ("value",))),
        ('NOT %[meta1] == "value"', Not(Equals("meta1", ("value",)))),
        ("%[meta1] AND %[meta2]", And((Exists("meta1"), Exists("meta2")))),
        (
            "%[meta1] == 'value' AND %[meta2] == \"value\"",
            And((Equals("meta1", ("value",)), Equals("meta2", ("value",)))),
        ),
        ("%[meta1] OR %[meta2]", Or((Exists("meta1"), Exists("meta2")))),
        ("(%[meta1] OR %[meta2]) AND %[meta3]", And((Or((Exists("meta1"), Exists("meta2"))), Exists("meta3")))),
        ('%[meta1] == ["value1", "value2"]', Equals("meta1", ("value1", "value2"), is_list=True)),
        (r"%[meta1\[test\]]", Exists("meta1[test]")),
        ("%[ytlikecount] OR %[ytdislikecount]", Or((Exists("ytlikecount"), Exists("ytdislikecount")))),
    ],
)
def test_documented_examples_parse_to_their_meaning(condition: str, tree: object) -> None:
    assert parse_condition(condition) == tree


def test_not_binds_tighter_than_and_which_binds_tighter_than_or() -> None:
    assert parse_condition("NOT %[a] OR %[b] AND NOT %[c]") == Or(
        (Not(Exists("a")), And((Exists("b"), Not(Exists("c")))))
    )


def test_operators_are_case_insensitive_and_whitespace_is_free() -> None:
    assert parse_condition("not %[a]and(%[b]or %[c]=='x')") == And(
        (Not(Exists("a")), Or((Exists("b"), Equals("c", ("x",)))))
    )


def test_quoted_values_keep_escaped_quotes_and_other_special_characters() -> None:
    assert parse_condition(r"%[title] == 'it\'s %[not] AND (meta)'") == Equals("title", ("it's %[not] AND (meta)",))


@pytest.mark.parametrize(
    ("condition", "column", "reason"),
    [
        ('%[lang] != "en"', 9, "'!=' is not supported; write NOT %[meta] == 'value'"),
        ("%[fruit] == 'apple' OR 'orange'", 24, "a value can only follow '%[meta] =='"),
        ("%[meta1] == %[meta2]", 13, "a metadata cannot be compared with another metadata"),
        ("%[meta1[test]]", 8, "'[' inside a metadata name must be escaped"),
        ("(%[a] OR %[b]", 1, "this '(' is not closed"),
        ("%[a] AND", 9, "the condition ends too early after AND"),
        ("%[a] = 'x'", 6, "a single '=' is not an operator"),
        ("%[a] && %[b]", 6, "'&&' is not an operator; write AND"),
        ("%[a] == ('x', 'y')", 9, "a list of values is written in square brackets"),
        ("%[a] == ['x',]", 14, "remove the trailing comma"),
        ("%[a] == []", 10, "empty list"),
        ("%[a] == ['x' 'y']", 14, "expected ',' or ']'"),
        ("%[a] == ['x'", 9, "this '[' is not closed"),
        ("%[a] == 'x", 9, "value is not closed"),
        ("%[a %[b]", 6, "'[' inside a metadata name must be escaped"),
        ("%[abc", 1, "metadata name is not closed"),
        ("%[]", 1, "empty metadata name"),
        ("%title", 1, "'%' must start a metadata name written %[name]"),
        ("title == 'x'", 1, "unexpected word 'title'"),
        ("%[a] %[b]", 6, "expected AND, OR or the end of the condition"),
        ("(%[a] %[b])", 7, "expected AND, OR or ')' to close the '(' at column 1"),
        ("%[a])", 5, "')' closes no '('"),
        ("OR %[a]", 1, "OR needs a condition on each side"),
        ("%[a] ==", 8, "expected a quoted value after '=='"),
    ],
)
def test_mistakes_are_reported_at_their_column(condition: str, column: int, reason: str) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition(condition)
    error = caught.value
    assert (error.line, error.column) == (1, column)
    assert error.reason.startswith(reason) or reason in error.reason


def test_the_message_shows_the_condition_with_a_caret_under_the_offending_column() -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition('%[lang] != "en"')
    assert str(caught.value).splitlines() == [
        "'!=' is not supported; write NOT %[meta] == 'value' (at column 9):",
        '    %[lang] != "en"',
        "            ^",
    ]


def test_a_multi_line_condition_reports_line_and_column_and_shows_only_that_line() -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition("%[a]\n\tAND %[b] ==")
    error = caught.value
    assert (error.line, error.column, error.position) == (2, 13, 17)
    assert str(error).splitlines()[1:] == ["    \tAND %[b] ==", "    \t           ^"]
