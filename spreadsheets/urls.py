"""URL converters for downloads: an address names only a format the site produces, anything else is a 404."""


class SpreadsheetFormat:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
