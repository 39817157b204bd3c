"""memberships (claims and confirmations) and institution invitations

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01 22:30:00

Today's members with an institution keep it as a *claim*: nobody is a confirmed focal point
until an organizer confirms them (admins can confirm all of them at once from /pending).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_institution_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_member_verified_institution_id'), ['verified_institution_id'], unique=False)
    op.create_table('membership',
    sa.Column('member_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('institution_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('via', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('claimed_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.BigInteger(), nullable=True),
    sa.Column('decided_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('decided_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('member_id')
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_status'), ['status'], unique=False)
    op.create_table('institutioninvite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('institution_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.BigInteger(), nullable=True),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    with op.batch_alter_table('institutioninvite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institutioninvite_institution_id'), ['institution_id'], unique=False)
    op.execute(
        "INSERT INTO membership (member_id, institution_id, status, via, claimed_at) "
        "SELECT user_id, institution_id, 'claimed', 'migration', updated_at FROM member "
        "WHERE institution_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('institutioninvite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institutioninvite_institution_id'))
    op.drop_table('institutioninvite')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_status'))
        batch_op.drop_index(batch_op.f('ix_membership_institution_id'))
    op.drop_table('membership')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_verified_institution_id'))
        batch_op.drop_column('verified_institution_id')
