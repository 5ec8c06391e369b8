from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

WARD_SET_2022 = "2022"
WARD_SET_2002 = "2002"
WARD_SETS = {WARD_SET_2022: "Wards since May 2022", WARD_SET_2002: "Wards 2002 to 2022"}


class Ward(db.Model):
    """An electoral ward, keyed by its ONS GSS code (E05...)."""

    __tablename__ = "ward"

    code: Mapped[str] = mapped_column(db.String(9), primary_key=True)
    name: Mapped[str] = mapped_column(db.String(120))
    ward_set: Mapped[str] = mapped_column(db.String(4), index=True)
    # GeoJSON geometry (WGS84) once boundaries are imported with `flask geo import-wards`.
    boundary_geojson: Mapped[str | None] = mapped_column(db.Text)
    centroid_lat: Mapped[float | None]
    centroid_lon: Mapped[float | None]

    @property
    def set_label(self):
        return WARD_SETS[self.ward_set]

    def __repr__(self):
        return f"<Ward {self.code} {self.name}>"


class Postcode(db.Model):
    """A live postcode with its position and wards, from ONS/OS open data."""

    __tablename__ = "postcode"

    postcode: Mapped[str] = mapped_column(db.String(8), primary_key=True)
    lat: Mapped[float]
    lon: Mapped[float]
    ward_code: Mapped[str | None] = mapped_column(db.ForeignKey("ward.code"), index=True)
    ward_code_2002: Mapped[str | None] = mapped_column(db.ForeignKey("ward.code"))
    positional_quality: Mapped[int | None]
