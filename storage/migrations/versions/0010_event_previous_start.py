"""event.previous_start: the start members knew before a move not yet announced, so the
notice of the move says the old time beside the new one

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 01:30:00
"""
from alembic import op
import sqlalchemy as sa

from storage.types import UTCDateTime


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event') as batch:
        batch.add_column(sa.Column('previous_start', UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('event') as batch:
        batch.drop_column('previous_start')
