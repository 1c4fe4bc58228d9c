"""The Sosiopreneur pillar's part of the data subject's rights (opop.privacy): the alumnus profile.

Erasure keeps the alumnus row (the pesantren's verified alumni count and the alumni businesses' history need
it); it names the person through the anonymised account, so nothing here is erased.
"""

from alumni.models import Alumnus


class AlumniPersonalData:
    name = "alumni"

    def export(self, user) -> dict:
        alumni = Alumnus.objects.filter(user=user).select_related("pesantren").prefetch_related("businesses")
        return {
            "alumni_profile": [
                {
                    "pesantren": a.pesantren.name,
                    "graduation_year": a.graduation_year,
                    "status": a.status,
                    "verified_at": a.verified_at.isoformat() if a.verified_at else None,
                    "businesses": ", ".join(business.name for business in a.businesses.all()),
                }
                for a in alumni
            ]
        }

    def erase(self, user) -> dict:
        return {}


PROVIDER = AlumniPersonalData()
