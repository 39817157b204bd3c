"""survey.auto_open: a survey of the data file opens by itself at its opens time unless the
file marks it ``status: draft``

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('survey') as batch:
        batch.add_column(
            sa.Column('auto_open', sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table('survey') as batch:
        batch.drop_column('auto_open')
