"""unkg.serve"""
