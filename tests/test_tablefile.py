"""Every table file a facilitator has reads the same: encodings, delimiters, xlsx, damage."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from separ.errors import SeparError
from separ.tablefile import read_table, yes_no

ROWS = '조직,상대 조직,강도\n보성자원,서산시 사회적경제지원센터,3\n해뜨는 협동조합,"보성, 자원",2\n'
EXPECTED = (
    (2, {"조직": "보성자원", "상대 조직": "서산시 사회적경제지원센터", "강도": "3"}),
    (3, {"조직": "해뜨는 협동조합", "상대 조직": "보성, 자원", "강도": "2"}),
)


@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("utf8.csv", ROWS.encode("utf-8"), "utf-8"),
        ("bom.csv", b"\xef\xbb\xbf" + ROWS.encode("utf-8"), "utf-8-sig"),
        ("cp949.csv", ROWS.encode("cp949"), "cp949"),
        ("euckr.csv", ROWS.encode("euc-kr"), "cp949"),
        # Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated
        (
            "unicode.txt",
            ROWS.replace(",", "\t").replace('"보성\t 자원"', "보성, 자원").encode("utf-16"),
            "utf-16",
        ),
        (
            "nobom16.txt",
            ROWS.replace(",", "\t").replace('"보성\t 자원"', "보성, 자원").encode("utf-16-le"),
            "utf-16",
        ),
        (
            "tabs.tsv",
            ROWS.replace(",", "\t").replace('"보성\t 자원"', "보성, 자원").encode("utf-8"),
            "utf-8",
        ),
        ("crlf.csv", ROWS.replace("\n", "\r\n").encode("cp949"), "cp949"),
    ],
)
def test_text_files_in_every_encoding(
    tmp_path: Path, name: str, data: bytes, encoding: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    table = read_table(path)
    assert table.encoding == encoding
    assert table.header == ("조직", "상대 조직", "강도")
    assert table.rows == EXPECTED


def test_xlsx_keeps_types_and_skips_empty_rows(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["조직", "강도", "비고"])
    sheet.append(["보성자원", 3, "줄\u2028바꿈"])
    sheet.append([None, None, None])
    sheet.append(["해뜨는 협동조합", 2.5, None])
    book.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx")
    assert table.encoding == "xlsx"
    assert table.rows == (
        (2, {"조직": "보성자원", "강도": 3, "비고": "줄\n바꿈"}),
        (4, {"조직": "해뜨는 협동조합", "강도": 2.5}),
    )


def test_formula_without_saved_value_is_an_error(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["조직", "강도", "비고"])
    sheet.append(["보성자원", 3, '=A2&"!"'])  # openpyxl saves formulas without values
    book.save(tmp_path / "f.xlsx")
    with pytest.raises(SeparError) as err:
        read_table(tmp_path / "f.xlsx")
    assert err.value.message("en") == (
        "f.xlsx, 'Sheet' C2: the formula =A2&\"!\" has no "
        "saved value: open the file in Excel, save it and "
        "import it again"
    )


def test_word_line_breaks_cleaned_other_controls_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("이름,비고\n김,첫째\x0b둘째\u2028셋째\x0c넷째\n", encoding="utf-8")
    assert read_table(path).rows == ((2, {"이름": "김", "비고": "첫째\n둘째\n셋째\n넷째"}),)
    for code in [*range(0, 9), *range(14, 32), 127]:
        path.write_text(f"이름,비고\n김,a{chr(code)}b\n", encoding="utf-8")
        with pytest.raises(SeparError) as err:
            read_table(path)
        assert err.value.message("ko") == (
            f"c.csv, 2행, 비고: 제어 문자 U+{code:04X}가 "
            "들어 있습니다: 파일이 손상되었을 수 있습니다"
        )


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        (
            "latin.csv",
            "a,b\n\xe9\xff\xfe,1\n".encode("latin-1")[:-1] + b"\x80\x81",
            "table_encoding",
        ),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "bad_xlsx"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "table_xls"),
        ("notes.docx", b"x", "table_format"),
        ("empty.csv", b"a,b\n", "empty_import"),
        ("quote.csv", b'a,b\n"open,1\n', "table_bad_csv"),
    ],
)
def test_bad_files_one_line(tmp_path: Path, name: str, data: bytes, key: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SeparError) as err:
        read_table(path)
    assert err.value.key == key
    assert "\n" not in err.value.message("ko") and name in err.value.message("en")


def test_yes_no_words() -> None:
    for word in ("예", "네", "Y", "yes", "O", "true", "1"):
        assert yes_no(word) is True
    for word in ("아니요", "아니오", "N", "no", "X", "false", "0"):
        assert yes_no(word) is False
    assert yes_no("글쎄") is None and yes_no(True) is True and yes_no(0) is False
