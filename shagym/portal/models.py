"""The portal keeps no records of its own: the access codes of paper talons live with the complaint
(shagym.complaints.models.AccessCode). This module remains for the migration that moved them."""
