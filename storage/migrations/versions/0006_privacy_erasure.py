"""privacy: erased-user tombstones, who asked unanswered questions

Revision ID: 0006
Revises: 0002
Create Date: 2026-12-01 22:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unansweredasker',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('asked_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['unansweredquestion.id'], ),
    sa.PrimaryKeyConstraint('question_id', 'member_id')
    )
    op.create_table('eraseduser',
    sa.Column('user_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('erased_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_hash')
    )


def downgrade() -> None:
    op.drop_table('eraseduser')
    op.drop_table('unansweredasker')
