"""delivery progress per part, first attempt, timeouts; webhook update ids seen

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:50:00
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parts_sent', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('first_attempt_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('timeouts', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'seenupdate',
        sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('received_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('update_id'),
    )
    op.create_index('ix_seenupdate_received_at', 'seenupdate', ['received_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_seenupdate_received_at', table_name='seenupdate')
    op.drop_table('seenupdate')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_column('timeouts')
        batch_op.drop_column('first_attempt_at')
        batch_op.drop_column('parts_sent')
