"""event.previous_all_day: whether the start members knew before a move was a day or a time,
so the notice of a move between an all-day event and a timed one says the old start as it was

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 04:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event') as batch:
        batch.add_column(sa.Column('previous_all_day', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('event') as batch:
        batch.drop_column('previous_all_day')
