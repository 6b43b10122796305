"""unkg.graph"""
