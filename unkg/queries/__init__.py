"""unkg.queries"""
