"""tickets: questions handed to the organizers, learned FAQ, phrasings, answer feedback

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 01:00:00
"""
from alembic import op
import sqlalchemy as sa

from storage.types import UTCDateTime


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ticket',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.BigInteger(), nullable=True),
        sa.Column('chat_id', sa.BigInteger(), nullable=True),
        sa.Column('member_name', sa.String(length=200), nullable=False),
        sa.Column('institution', sa.String(length=200), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('answered_by', sa.BigInteger(), nullable=True),
        sa.Column('answered_by_name', sa.String(length=200), nullable=True),
        sa.Column('answered_at', UTCDateTime(), nullable=True),
        sa.Column('faq_id', sa.String(length=64), nullable=True),
        sa.Column('erased', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_ticket_member_id', 'ticket', ['member_id'])
    op.create_index('ix_ticket_status', 'ticket', ['status'])
    op.create_table(
        'ticketpost',
        sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id']),
        sa.PrimaryKeyConstraint('chat_id', 'message_id'),
    )
    op.create_index('ix_ticketpost_ticket_id', 'ticketpost', ['ticket_id'])
    op.create_table(
        'ticketnote',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('author', sa.String(length=10), nullable=False),
        sa.Column('author_id', sa.BigInteger(), nullable=True),
        sa.Column('author_name', sa.String(length=200), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_ticketnote_ticket_id', 'ticketnote', ['ticket_id'])
    op.create_table(
        'learnedfaq',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('question', sa.JSON(), nullable=True),
        sa.Column('answer', sa.JSON(), nullable=True),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('created_by', sa.BigInteger(), nullable=True),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_learnedfaq_ticket_id', 'learnedfaq', ['ticket_id'])
    op.create_table(
        'phrasing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('record_id', sa.String(length=64), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('created_by', sa.BigInteger(), nullable=True),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'record_id', 'language', 'text'),
    )
    op.create_index('ix_phrasing_record_id', 'phrasing', ['record_id'])
    op.create_table(
        'answerfeedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.BigInteger(), nullable=True),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('record_id', sa.String(length=64), nullable=False),
        sa.Column('intent', sa.String(length=20), nullable=False),
        sa.Column('helpful', sa.Boolean(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('member_id', 'kind', 'record_id', 'intent'),
    )
    op.create_index('ix_answerfeedback_record_id', 'answerfeedback', ['record_id'])


def downgrade() -> None:
    op.drop_index('ix_answerfeedback_record_id', table_name='answerfeedback')
    op.drop_table('answerfeedback')
    op.drop_index('ix_phrasing_record_id', table_name='phrasing')
    op.drop_table('phrasing')
    op.drop_index('ix_learnedfaq_ticket_id', table_name='learnedfaq')
    op.drop_table('learnedfaq')
    op.drop_index('ix_ticketnote_ticket_id', table_name='ticketnote')
    op.drop_table('ticketnote')
    op.drop_index('ix_ticketpost_ticket_id', table_name='ticketpost')
    op.drop_table('ticketpost')
    op.drop_index('ix_ticket_status', table_name='ticket')
    op.drop_index('ix_ticket_member_id', table_name='ticket')
    op.drop_table('ticket')
